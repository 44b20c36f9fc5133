/** The catalogues for staff (what is in force), and a settlement's priced lines with their review flags. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ITEM_CLASSES, ITEM_KINDS, type CatalogueItem } from '../../domain/catalogue/items.ts';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import { formatPercent } from '../../domain/money.ts';
import { personOrThrow, settlementOrThrow } from '../../service/console-persons.ts';
import { billOfSettlement } from '../../service/itemised-bill.ts';
import type { Db } from '../../store/db.ts';
import { listItems } from '../../store/repositories/catalogue-items.ts';
import { listFlags } from '../../store/repositories/review-flags.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import { presentFlag } from './review.ts';

export const itemQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  kind: z.enum(ITEM_KINDS).optional(),
  class: z.enum(ITEM_CLASSES).optional(),
  region: z.string().regex(/^(national|\d{6})$/).optional(),
  date: isoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export function presentItem(i: CatalogueItem) {
  return {
    region: i.region, code: i.code, name: i.name, kind: i.kind, class: i.class,
    selfPayFirst: { resident: formatPercent(i.selfPayFirst.resident), employee: formatPercent(i.selfPayFirst.employee) },
    priceCap: i.priceCap, unit: i.unit, restrictions: i.restrictions, validFrom: i.validFrom, validTo: i.validTo,
  };
}

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function catalogueRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get('/api/v1/catalogue/items', async (request) => {
    await requireStaff(db, request, 'settlement.read');
    const query = parseWith(itemQuery, request.query, 'query');
    const date = query.date ?? new Date().toISOString().slice(0, 10);
    return { date, items: (await listItems(db, { ...query, date })).map(presentItem) };
  });

  app.get('/api/v1/console/settlements/:id/bill', async (request) => {
    const staff = await requireStaff(db, request, 'settlement.read');
    const settlement = await settlementOrThrow(db, parseWith(idParam, request.params, 'params').id);
    const person = await personOrThrow(db, settlement.person_id);
    requireDivision(staff, person.division_code);
    const bill = await billOfSettlement(db, settlement.id);
    const flags = await listFlags(db, { settlementId: settlement.id, limit: 200 });
    return { ...bill, flags: flags.map(presentFlag) };
  });
}
