// Upload throughput into a HAPI FHIR JPA server (the interop tier's Spring Boot app, embedded H2):
// patients and resources per second at concurrency 1, 4 and 16, each into a fresh server, plus the
// HAPI JVM's CPU seconds per 1,000 resources (a figure other load on the machine inflates less).
// Needs the interop tier installed (`npm run test:interop` once); otherwise one row says so.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run(ctx) {
  const interopDir = process.env.CHARTWRIGHT_INTEROP_DIR ?? join(ctx.root, '.interop');
  const { javaConsumersInstalled, startConsumer } = await import(pathToFileURL(join(ctx.root, 'test', 'interop', 'support', 'jvm.mjs')).href);
  if (!javaConsumersInstalled(interopDir)) {
    process.stderr.write('bench: hapi-upload skipped: the interop tier is not installed (run npm run test:interop once)\n');
    return [{ suite: 'hapi-upload', case: 'skipped', metric: 'note', value: 'interop tier not installed: run npm run test:interop once', unit: '' }];
  }
  const { uploadOutput } = await import(pathToFileURL(join(ctx.root, 'dist', 'sinks', 'fhir-server', 'upload.js')).href);
  const patients = ctx.quick ? 3 : 10;
  const out = join(ctx.workDir, 'cohort');
  execFileSync(process.execPath, [join(ctx.root, 'bin', 'chartwright.js'), 'generate', '--patients', String(patients), '--seed', '7', '--reference-date', '2025-01-01', '--out', out, '--quiet'], { stdio: 'ignore' });
  const bundles = readdirSync(join(out, 'fhir')).length;
  const rows = [];
  for (const concurrency of [1, 4, 16]) {
    const db = join(ctx.workDir, `h2-${concurrency}`);
    mkdirSync(db, { recursive: true });
    const hapi = await startConsumer({ interopDir, mainClass: 'dev.chartwright.interop.JpaServerApp', args: [db], heap: '1536m', logDir: ctx.workDir });
    try {
      const cpuBefore = hapi.cpuSeconds();
      const summary = await uploadOutput({ out, server: hapi.url, auth: { kind: 'none' }, concurrency, timeoutMs: 900_000, ledgerPath: join(ctx.workDir, `ledger-${concurrency}.sqlite`) });
      const cpu = hapi.cpuSeconds() - cpuBefore;
      const seconds = summary.wallTimeMs / 1000;
      const resources = summary.resources.created + summary.resources.updated + summary.resources.unchanged;
      const label = `first load c=${concurrency} (${bundles} patients, ${resources} resources)`;
      rows.push({ suite: 'hapi-upload', case: label, metric: 'patients/s', value: +(summary.patients.uploaded / seconds).toFixed(2), unit: 'patients/s' });
      rows.push({ suite: 'hapi-upload', case: label, metric: 'resources/s', value: Math.round(resources / seconds), unit: 'resources/s' });
      rows.push({ suite: 'hapi-upload', case: label, metric: 'HAPI CPU', value: +((cpu * 1000) / resources).toFixed(2), unit: 'CPU s per 1,000 resources' });
    } finally {
      await hapi.stop();
    }
  }
  return rows;
}
