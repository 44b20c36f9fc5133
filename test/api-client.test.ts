/** The web app's typed client fills {params} and leaves out empty query values. */
import { describe, expect, it } from 'vitest';
import { pathOf } from '../web/src/api-client.ts';

describe('pathOf', () => {
  it('fills {params}, encoded, and appends the defined query values', () => {
    expect(pathOf('/api/v1/monitoring/cases/{id}', { id: 42 })).toBe('/api/v1/monitoring/cases/42');
    expect(pathOf('/api/v1/monitoring/cases/{id}', { id: 'a/b' })).toBe('/api/v1/monitoring/cases/a%2Fb');
    expect(pathOf('/api/v1/monitoring/lines/{regionCode}/{year}', { regionCode: '513330', year: 2025 })).toBe('/api/v1/monitoring/lines/513330/2025');
    expect(pathOf('/api/v1/monitoring/cases', {}, { limit: 50, offset: 0, status: undefined, year: 2025, q: '', x: null })).toBe('/api/v1/monitoring/cases?limit=50&offset=0&year=2025');
    expect(pathOf('/api/v1/console/persons', {}, { q: '张 三&' })).toBe('/api/v1/console/persons?q=%E5%BC%A0+%E4%B8%89%26');
    expect(pathOf('/api/v1/monitoring/cases', {})).toBe('/api/v1/monitoring/cases');
  });
});
