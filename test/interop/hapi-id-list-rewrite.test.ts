import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JAVA_BUILD } from './support/paths.js';

/**
 * The statement inspector our HAPI JPA server runs with (test/interop/java, IdListRewriter): HAPI's
 * (type, id) OR-list becomes a row-value IN list H2 answers from its index, and nothing else changes.
 * Run on the compiled class itself (no HAPI, no database: one small JVM), one statement per line.
 */
function rewrite(statements: readonly string[], stack = '512k', rewriter = 'IdListRewriter'): string[] {
  const run = spawnSync('java', [`-Xss${stack}`, '-cp', join(JAVA_BUILD, 'target', 'classes'), `dev.chartwright.interop.${rewriter}`], {
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

/** HAPI's $everything query (SearchBuilder, as Hibernate logged it on H2), with its link join and first condition. */
const EVERYTHING = (join: string, first: string): string =>
  `SELECT DISTINCT t0.SRC_RESOURCE_ID FROM HFJ_RES_LINK t0 ${join} HFJ_RESOURCE t1 ON (t0.SRC_RESOURCE_ID = t1.RES_ID) WHERE ((${first}) AND (t1.RES_DELETED_AT IS NULL) AND (NOT (t1.RES_TYPE IN (?,?) ))) GROUP BY t0.SRC_RESOURCE_ID ORDER BY t0.SRC_RESOURCE_ID fetch first ? rows only`;

describe('the $everything join rewrite of the HAPI JPA server', () => {
  const everything = (statements: readonly string[]): string[] => rewrite(statements, '512k', 'EverythingJoinRewriter');

  it('makes the link-to-resource join of a search pinned by link target an outer join, so H2 starts from the link index', () => {
    expect(everything([EVERYTHING('INNER JOIN', 't0.TARGET_RESOURCE_ID = ?'), EVERYTHING('INNER JOIN', 't0.TARGET_RESOURCE_ID IN (?,?)')])).toEqual([
      EVERYTHING('LEFT OUTER JOIN', 't0.TARGET_RESOURCE_ID = ?'),
      EVERYTHING('LEFT OUTER JOIN', 't0.TARGET_RESOURCE_ID IN (?,?)'),
    ]);
  });

  it('leaves alone a join not pinned by the link target first, a join on another column, and an outer join', () => {
    const unchanged = [
      EVERYTHING('INNER JOIN', 't1.RES_TYPE = ?'),
      EVERYTHING('INNER JOIN', 't0.SRC_RESOURCE_ID = ?'),
      EVERYTHING('LEFT OUTER JOIN', 't0.TARGET_RESOURCE_ID = ?'),
      'SELECT t0.SRC_RESOURCE_ID FROM HFJ_RES_LINK t0 INNER JOIN HFJ_RESOURCE t1 ON (t0.TARGET_RESOURCE_ID = t1.RES_ID) WHERE ((t0.TARGET_RESOURCE_ID = ?))',
      'select count(*) from HFJ_RESOURCE rt1_0 where rt1_0.RES_TYPE=?',
    ];
    expect(everything(unchanged)).toEqual(unchanged);
  });
});
