import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';

/**
 * Hands every error of a GraphQL operation to Apollo untouched, where `formatGraphQLError` maps it
 * (and logs only the unexpected ones). Without it Nest logs expected domain errors as ERROR.
 */
@Catch()
export class GraphQLPassthroughFilter implements GqlExceptionFilter {
  catch(exception: unknown): unknown {
    return exception;
  }
}
