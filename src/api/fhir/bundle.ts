/** A searchset Bundle of resources, each with its full URL under the request's base. */
import type { Json } from './reference.ts';

export function searchBundle(base: string, resources: readonly Json[], total = resources.length, next?: string): Json {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: resources.map((resource) => ({
      ...(resource.id ? { fullUrl: `${base}/${String(resource.resourceType)}/${String(resource.id)}` } : {}),
      resource,
      search: { mode: 'match' },
    })),
  };
}
