// Upload throughput into `chartwright serve`: patients and resources per second at concurrency 1, 4
// and 16, plus a re-upload (all unchanged). The server runs in its own process, as a user runs it.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function startServe(root) {
  const child = spawn(process.execPath, [join(root, 'bin', 'chartwright.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk.toString();
      const match = /FHIR R4 at (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (match) resolve({ url: match[1], stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

export async function run(ctx) {
  const { uploadOutput } = await import(pathToFileURL(join(ctx.root, 'dist', 'sinks', 'fhir-server', 'upload.js')).href);
  const patients = ctx.quick ? 10 : 60;
  const out = join(ctx.workDir, 'upload-cohort');
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ctx.root, 'bin', 'chartwright.js'), 'generate', '--patients', String(patients), '--seed', '7', '--reference-date', '2025-01-01', '--out', out], { stdio: 'ignore' });
  const bundles = readdirSync(join(out, 'fhir')).length;
  const rows = [];
  const measure = async (label, serverUrl, concurrency, ledgerPath) => {
    const summary = await uploadOutput({ out, server: serverUrl, auth: { kind: 'none' }, concurrency, ledgerPath });
    const seconds = summary.wallTimeMs / 1000;
    const resources = summary.resources.created + summary.resources.updated + summary.resources.unchanged;
    rows.push({ suite: 'upload', case: `${label} c=${concurrency} (${bundles} patients)`, metric: 'patients/s', value: +(summary.patients.uploaded / seconds).toFixed(1), unit: 'patients/s' });
    rows.push({ suite: 'upload', case: `${label} c=${concurrency} (${bundles} patients)`, metric: 'resources/s', value: Math.round(resources / seconds), unit: 'resources/s' });
  };
  for (const concurrency of [1, 4, 16]) {
    const server = await startServe(ctx.root);
    try {
      await measure('first load', server.url, concurrency, join(ctx.workDir, `upload-ledger-${concurrency}.sqlite`));
      if (concurrency === 4) await measure('re-upload (unchanged)', server.url, concurrency, join(ctx.workDir, `upload-ledger-${concurrency}b.sqlite`));
    } finally {
      await server.stop();
    }
  }
  return rows;
}
