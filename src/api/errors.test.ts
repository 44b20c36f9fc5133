/** The error mapping logs an unexpected error without the personal data a database error carries. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { errorHandler } from './errors.ts';

describe('errorHandler', () => {
  it('logs an unexpected database error by type, code and message, never its parameters or detail', () => {
    const idNumber = '513330199001011234';
    // As PGlite and node-postgres throw them: the failing query's parameters and the offending key ride along.
    const error = Object.assign(new Error('duplicate key value violates unique constraint "persons_id_number_key"'), {
      code: '23505',
      query: 'INSERT INTO persons (id_number, name, phone) VALUES ($1, $2, $3)',
      params: [idNumber, '卓玛', '13812345678'],
      detail: `Key (id_number)=(${idNumber}) already exists.`,
    });
    const log = vi.fn();
    const sent: unknown[] = [];
    const reply = { status: () => reply, send: (body: unknown) => void sent.push(body) };
    errorHandler(error, { log: { error: log } } as unknown as FastifyRequest, reply as unknown as FastifyReply);

    expect(log).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(log.mock.calls[0]![0]);
    expect(logged).toContain('23505');
    expect(logged).toContain('duplicate key value');
    for (const personal of [idNumber, '卓玛', '13812345678']) expect(logged).not.toContain(personal);
    expect(sent).toEqual([{ error: { code: 'INTERNAL', message: 'internal error; nothing was changed by this request', field: null } }]);
  });
});
