/**
 * The vaccine products behind the schedule's CVX codes, from data/vaccine-products.yaml: maker
 * (MVX), route, dose volume, injection site by age, and the shape of each maker's lot numbers.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const SiteSchema = z.strictObject({ code: z.string().min(1), display: z.string().min(1) });

export const VaccineProductsSchema = z
  .strictObject({
    sources: z.array(z.string().min(1)).min(1),
    manufacturers: z.record(z.string().regex(/^[A-Z]{2,3}$/), z.string().min(1)),
    routes: z.record(z.string(), z.string().min(1)),
    lotPatterns: z.record(z.string(), z.string().regex(/^[LD]+$/)),
    products: z.record(
      z.string().regex(/^\d+$/),
      z.strictObject({ makers: z.array(z.string()).min(1), route: z.string(), doseMl: z.number().positive() }),
    ),
    sites: z.record(z.string(), z.array(z.strictObject({ belowAge: z.number().positive(), left: SiteSchema, right: SiteSchema })).min(1)),
  })
  .superRefine((d, ctx) => {
    for (const [cvx, p] of Object.entries(d.products)) {
      for (const m of p.makers) {
        if (d.manufacturers[m] === undefined || d.lotPatterns[m] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['products', cvx], message: `maker ${m} has no name or lot pattern` });
        }
      }
      if (d.routes[p.route] === undefined) ctx.addIssue({ code: 'custom', path: ['products', cvx], message: `unknown route ${p.route}` });
    }
  });
export type VaccineProducts = z.infer<typeof VaccineProductsSchema>;

export const loadVaccineProducts = once(() => loadKnowledgeFile('vaccine-products.yaml', VaccineProductsSchema));
