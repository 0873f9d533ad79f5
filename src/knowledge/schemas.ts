import { z } from 'zod';

/** A code with its official display, as every knowledge file writes it. */
export const CodingSchema = z.strictObject({
  system: z.string().url().or(z.string().startsWith('urn:')),
  code: z.string().min(1),
  display: z.string().min(1),
});

/** `[x, y]` points of a piecewise-linear curve, x ascending. */
export const CurveSchema = z
  .array(z.tuple([z.number(), z.number()]))
  .min(1)
  .refine((points) => points.every((p, i) => i === 0 || p[0] > points[i - 1]![0]), 'x values must ascend');

export type Curve = z.infer<typeof CurveSchema>;

/** Linear interpolation on a curve, flat beyond its ends. */
export function interpolate(curve: Curve, x: number): number {
  const first = curve[0]!;
  if (x <= first[0]) return first[1];
  for (let i = 1; i < curve.length; i++) {
    const [x1, y1] = curve[i]!;
    if (x <= x1) {
      const [x0, y0] = curve[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return curve[curve.length - 1]![1];
}

export const ShareSchema = z.number().min(0).max(1);
