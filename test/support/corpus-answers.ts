/**
 * Scripted model answers for `corpus --llm` tests, computed from the request as a model would from
 * its prompt: a summary stating only the stay's dates and the diagnosis the fact sheet gives, and
 * a QA answer restating the record's answer the prompt shows. Used by the unit test of the task
 * corpora and by the CLI end-to-end test, against the scripted OpenAI-compatible server.
 */
import type { FakeChatRequest } from './fake-openai-server.js';

/** The user messages of a chat request, joined. */
export function userText(request: FakeChatRequest): string {
  return request.messages.filter((m) => m.role === 'user').map((m) => String(m.content)).join('\n');
}

/** A summary that states only the stay's dates and the diagnosis the sheet says it was for. */
export function groundedSummary(request: FakeChatRequest): unknown {
  const text = userText(request);
  const date = /- Date: (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  const discharged = /- Discharged (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  const reasonId = /Diagnosis this encounter is for: \[([^\]]+)\]/.exec(text)?.[1];
  const reason = reasonId === undefined ? undefined : new RegExp(`- \\[${reasonId.replace('.', '\\.')}\\] ([^(\\n]+?)(?: \\(|\\n)`).exec(text)?.[1];
  const course = [`Admitted on ${date}${discharged === undefined ? '' : ` and discharged on ${discharged}`}.`, reason === undefined ? '' : `Admitted for ${reason}.`].join(' ').trim();
  return {
    title: 'Discharge Summary',
    sections: [{ heading: 'Hospital Course', text: course }],
    mentions: reason === undefined || reasonId === undefined ? [] : [{ text: reason, factId: reasonId }],
  };
}

/** The question the QA prompt asks, as the record put it. */
export function qaQuestion(request: FakeChatRequest): string {
  return /QUESTION\n([^\n]+)/.exec(userText(request))?.[1] ?? '';
}

/** A QA pair that restates the record's answer given in the prompt. */
export function groundedQa(request: FakeChatRequest): unknown {
  const question = qaQuestion(request);
  const answer = /THE RECORD'S ANSWER\n([^\n]+)/.exec(userText(request))?.[1] ?? '';
  // An HbA1c answer names the test before its value, as a clinician would write it.
  const stated = /hemoglobin A1c/.test(question) ? `The most recent hemoglobin A1c was ${answer}` : `Per the chart: ${answer}`;
  return { question: `Could you tell me: ${question}`, answer: stated, mentions: [] };
}

/** True for a QA request (its strict output schema), false for a summary's. */
export function isQaRequest(request: FakeChatRequest): boolean {
  return request.response_format?.json_schema?.name === 'qa_pair';
}

/** The grounded answer of either task. */
export function groundedAnswer(request: FakeChatRequest): unknown {
  return isQaRequest(request) ? groundedQa(request) : groundedSummary(request);
}
