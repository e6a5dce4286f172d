import { describe, expect, it } from 'vitest';
import { convert } from './support/openapi-schemas.js';

describe('convert (OpenAPI v3 schema → JSON schema for kubeconform)', () => {
  it('points references at the inlined definitions and collects their names', () => {
    const refs = new Set<string>();
    const out = convert({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }] }, refs);
    expect(out).toEqual({ allOf: [{ $ref: '#/definitions/io.k8s.api.core.v1.PodSpec' }] });
    expect([...refs]).toEqual(['io.k8s.api.core.v1.PodSpec']);
  });

  it('closes objects that declare their properties, unless they keep unknown fields or say otherwise', () => {
    const props = { properties: { a: { type: 'string' } } };
    expect(convert({ type: 'object', ...props }, new Set())).toMatchObject({ additionalProperties: false });
    expect(
      convert({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...props }, new Set()),
    ).not.toHaveProperty('additionalProperties');
    expect(convert({ type: 'object', additionalProperties: { type: 'string' } }, new Set())).toMatchObject({
      additionalProperties: { type: 'string' },
    });
  });

  it('takes int-or-string as either, and nullable as null allowed', () => {
    const either = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(convert({ type: 'string', format: 'int-or-string' }, new Set())).toEqual(either);
    expect(convert({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }] }, new Set())).toEqual(
      either,
    );
    expect(convert({ type: 'string', nullable: true }, new Set())).toMatchObject({
      type: ['string', 'null'],
    });
  });
});
