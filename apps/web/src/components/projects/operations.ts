/** GraphQL operations of the overview's forms (names prefixed: codegen is global). */
import { graphql } from '@/gql';

export const OverviewCreateProjectMutation = graphql(`
  mutation OverviewCreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      id
      name
    }
  }
`);

export const OverviewCreateProductModelMutation = graphql(`
  mutation OverviewCreateProductModel($input: CreateProductModelInput!) {
    createProductModel(input: $input) {
      id
      name
    }
  }
`);
