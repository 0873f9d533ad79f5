import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { preloadOutput } from '../../serve/preload.js';
import { SandboxRepository } from '../../serve/repository.js';
import { startServer } from '../../serve/server.js';
import { loadFhirDefinitions } from '../../serve/definitions.js';
import { ValidationPool } from '../../serve/validation-pool.js';
import { availableParallelism } from 'node:os';

interface ServeFlags {
  readonly data?: string;
  readonly port: string;
  readonly host: string;
  readonly validationWorkers: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run a local FHIR R4 server (in memory, bound to 127.0.0.1), optionally preloaded from an output folder')
    .option('--data <OUT>', 'output folder of `chartwright generate` to load first')
    .option('--port <N>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <ADDR>', 'address to bind; keep loopback unless you know who can reach it', '127.0.0.1')
    .option('--validation-workers <N>', 'threads validating writes (0: on the main thread)', String(Math.min(4, Math.max(1, availableParallelism() - 1))))
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError('--port', `must be 0..65535, got "${flags.port}"`);
      const workers = Number(flags.validationWorkers);
      if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new OptionError('--validation-workers', `must be 0..64, got "${flags.validationWorkers}"`);
      loadFhirDefinitions();
      const pool = workers > 0 ? new ValidationPool(workers) : undefined;
      const validator = pool?.validate;
      const repository = new SandboxRepository();
      if (flags.data !== undefined) {
        console.error(`chartwright serve: loading ${flags.data} (every resource is validated; large outputs take a while)`);
        const loaded = await preloadOutput(repository, flags.data, { concurrency: 2 * Math.max(1, workers), ...(validator === undefined ? {} : { validator }) });
        for (const { file, reason } of loaded.rejected) console.error(`chartwright serve: skipped ${file}: ${reason}`);
        console.error(`chartwright serve: loaded ${loaded.bundles} bundles (${loaded.resources} resources) from ${flags.data}`);
      }
      const server = await startServer({ port, host: flags.host, repository, ...(validator === undefined ? {} : { validator }) });
      console.log(`chartwright serve: FHIR R4 at ${server.url} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void server
            .close()
            .then(() => pool?.close())
            .then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
