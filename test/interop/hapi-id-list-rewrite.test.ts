import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JAVA_BUILD } from './support/paths.js';

/**
 * The statement inspector our HAPI JPA server runs with (test/interop/java, IdListRewriter): HAPI's
 * (type, id) OR-list becomes a row-value IN list H2 answers from its index, and nothing else changes.
 * Run on the compiled class itself (no HAPI, no database: one small JVM), one statement per line.
 */
function rewrite(statements: readonly string[], stack = '512k'): string[] {
  const run = spawnSync('java', [`-Xss${stack}`, '-cp', join(JAVA_BUILD, 'target', 'classes'), 'dev.chartwright.interop.IdListRewriter'], {
    input: statements.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.split('\n').slice(0, statements.length);
}

const SELECT = 'select rt1_0.RES_ID,rt1_0.RES_TYPE,rt1_0.FHIR_ID from HFJ_RESOURCE rt1_0 where ';
const pair = 'rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?';
const pairs = (n: number): string => Array.from({ length: n }, () => pair).join(' or ');
const inList = (n: number): string => `(rt1_0.RES_TYPE,rt1_0.FHIR_ID) in (${Array.from({ length: n }, () => '(?,?)').join(',')})`;

describe('the (type, id) OR-list rewrite of the HAPI JPA server', () => {
  it('rewrites a whole OR-list of pairs, bare or parenthesised, keeping a shared partition term and what follows', () => {
    const cases: [string, string][] = [
      [SELECT + pairs(3), SELECT + inList(3)],
      [`${SELECT}(${pairs(2)}) and rt1_0.RES_DELETED_AT is null`, `${SELECT}(${inList(2)}) and rt1_0.RES_DELETED_AT is null`],
      [`${SELECT}(${pair}) or (${pair})`, SELECT + inList(2)],
      [
        `${SELECT}${pair} and rt1_0.PARTITION_ID is null or ${pair} and rt1_0.PARTITION_ID is null order by rt1_0.RES_ID`,
        `${SELECT}${inList(2)} and rt1_0.PARTITION_ID is null order by rt1_0.RES_ID`,
      ],
    ];
    expect(rewrite(cases.map(([input]) => input))).toEqual(cases.map(([, output]) => output));
  });

  it('leaves alone what a row-value list would change: one pair, a list inside a wider OR or AND, per-pair parameters, mixed aliases', () => {
    const unchanged = [
      SELECT + pair,
      `${SELECT}rt1_0.RES_DELETED_AT is null and ${pairs(2)}`,
      `${SELECT}${pairs(2)} or rt1_0.RES_VER=?`,
      `${SELECT}${pair} and rt1_0.PARTITION_ID=? or ${pair} and rt1_0.PARTITION_ID=?`,
      `${SELECT}rt1_0.RES_TYPE=? and rt2_0.FHIR_ID=? or ${pair}`,
      'select count(*) from HFJ_RESOURCE rt1_0 where rt1_0.RES_TYPE=?',
    ];
    expect(rewrite(unchanged)).toEqual(unchanged);
  });

  it('rewrites a list of 20,000 pairs on a small thread stack (a regex over it overflowed the stack)', () => {
    const [out] = rewrite([SELECT + pairs(20_000)], '256k');
    expect(out).toBe(SELECT + inList(20_000));
  });
});
