import { describe, expect, it } from 'vitest';
import { ValidationPool } from '../../src/serve/validation-pool.js';

describe('validation pool', () => {
  it('answers a failure on its worker as a typed rejection, and the worker lives on', async () => {
    const pool = new ValidationPool(1);
    try {
      // Not a list of resources: the worker's map() throws there, on the other thread.
      const error = await pool.validate(null as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).stack).toContain('validation-worker');
      const [outcome] = await pool.validate([{ resourceType: 'Patient', gender: 'female' }]);
      expect(outcome).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});
