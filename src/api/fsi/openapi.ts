/** The OpenAPI path of the national interface, from the envelope's own schema. */
import { zodToJsonSchema } from 'zod-to-json-schema';
import { TRANSACTIONS } from './dictionary.ts';
import { envelopeSchema } from './envelope.ts';
import { FSI_PATH } from './route.ts';
import { fsiMessagesQuerySchema } from './console-route.ts';

const envelopeJson = zodToJsonSchema(envelopeSchema, { target: 'openApi3', $refStrategy: 'none' });

const responseJson = {
  type: 'object',
  required: ['infcode', 'inf_refmsgid', 'refmsg_time', 'respond_time', 'err_msg', 'output'],
  properties: {
    infcode: { type: 'integer', description: '0 success; -1 error (err_msg names the field)' },
    inf_refmsgid: { type: 'string' },
    refmsg_time: { type: 'string', description: 'yyyyMMddHHmmssSSS, China time' },
    respond_time: { type: 'string' },
    err_msg: { type: 'string', nullable: true },
    output: { type: 'object', description: 'the transaction’s output; amounts are yuan strings with two decimals' },
    error: { type: 'object', description: 'on an error: Sanbao’s {code, message, field}', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } },
  },
};

const answer = (description: string) => ({ description, content: { 'application/json': { schema: responseJson } } });

const query = Object.entries((zodToJsonSchema(fsiMessagesQuerySchema, { target: 'openApi3', $refStrategy: 'none' }) as { properties: Record<string, unknown> }).properties)
  .map(([name, schema]) => ({ name, in: 'query', required: false, schema }));

export const fsiPaths = {
  '/api/v1/console/fsi/messages': {
    get: {
      summary: 'Staff: the transactions hospitals sent through the national interface, newest first (facilities of your division)',
      security: [{ staffSession: [] }, { staffCookie: [] }],
      parameters: query,
      responses: { 200: { description: '{ items: [{ at, facility, infno, msgid, mdtrtId, setlId, medfeeYuan, fundYuan }] }' }, 401: { description: 'not signed in' }, 403: { description: 'no settlement.read' } },
    },
  },
  [FSI_PATH]: {
    post: {
      summary: 'The national medical-security interface (国家医保信息平台接口): one envelope, a transaction per infno',
      description:
        `Transactions: ${Object.entries(TRANSACTIONS).map(([infno, what]) => `${infno} ${what}`).join('; ')}. ` +
        'Amounts are yuan with at most two decimals (strings or numbers), converted exactly to fen. A retried msgid answers the first answer; ' +
        'another request under the same msgid is refused. The data dictionary and every transaction’s fields: docs/fsi.md.',
      security: [{ apiKey: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: envelopeJson } } },
      responses: {
        200: answer('infcode 0 and the output (or the first answer of a retried msgid)'),
        400: answer('infcode -1: a field is missing or malformed (err_msg names it); nothing written'),
        401: answer('infcode -1: no or a wrong key, no sign-in (sign_no)'),
        404: answer('infcode -1: unknown person (psn_no) or visit (mdtrt_id)'),
        409: answer('infcode -1: msgid reused for another request, a settled or cancelled visit, a fee line sent again with other content'),
        422: answer('infcode -1: fixmedins_code is not the key’s facility, the person is not enrolled, amounts disagree'),
      },
    },
  },
};
