import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApiErrorCode, DomainError, formatGraphQLError } from '../src/common/errors.js';

enum ProbeCode {
  MISSING = 'PROBE_MISSING',
}
class ProbeError extends DomainError<ProbeCode> {
  readonly apiCode = ApiErrorCode.NOT_FOUND;
}

const formatted = (code?: string) => ({
  message: 'raw',
  path: ['x'],
  extensions: code ? { code } : {},
});

describe('formatGraphQLError (unit)', () => {
  it('maps a domain error to its API code and keeps the feature code as reason', () => {
    const wrapped = new GraphQLError('raw', {
      originalError: new ProbeError(ProbeCode.MISSING, 'no such probe'),
    });
    expect(formatGraphQLError(formatted('INTERNAL_SERVER_ERROR'), wrapped)).toEqual({
      message: 'no such probe',
      path: ['x'],
      extensions: { code: 'NOT_FOUND', reason: 'PROBE_MISSING' },
    });
  });

  it('hides an unknown error behind a generic INTERNAL_SERVER_ERROR', () => {
    const wrapped = new GraphQLError('raw', {
      originalError: new TypeError('secret table users_x is missing'),
    });
    const out = formatGraphQLError(formatted('BAD_USER_INPUT'), wrapped);
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(out)).not.toMatch(/secret/);
  });

  it('passes parse and validation errors through with their code', () => {
    const err = new GraphQLError('Syntax Error');
    expect(formatGraphQLError(formatted('GRAPHQL_PARSE_FAILED'), err).extensions).toEqual({
      code: 'GRAPHQL_PARSE_FAILED',
    });
  });
});
