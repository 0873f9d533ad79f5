import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

describe('record types', () => {
  it('refuse an id of one kind where another belongs, and a death without its cause', () => {
    const fixture = fileURLToPath(new URL('./types-fixture/branded-ids.ts', import.meta.url));
    const config = ts.readConfigFile(fileURLToPath(new URL('../../tsconfig.json', import.meta.url)), (p) => ts.sys.readFile(p));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, fileURLToPath(new URL('../../', import.meta.url)));
    const program = ts.createProgram([fixture], { ...options, noEmit: true, rootDir: undefined });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);
});
