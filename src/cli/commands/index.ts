import type { Command } from 'commander';
import { registerCheck } from './check.js';
import { registerCorpus } from './corpus.js';
import { registerDedup } from './dedup.js';
import { registerGenerate } from './generate.js';
import { registerValidate } from './validate.js';
import { registerServe } from './serve.js';
import { registerUpload } from './upload.js';

/** Every command, in the order `--help` lists them. Adding a command is one line here. */
export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerValidate(program);
  registerUpload(program);
  registerServe(program);
  registerCheck(program);
  registerDedup(program);
  registerCorpus(program);
}
