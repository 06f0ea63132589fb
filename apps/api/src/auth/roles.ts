/**
 * Roles and permissions: the platform's one matrix (@padim/jobs), shared with the inference
 * service's POST /predict, so GraphQL and the edge can never disagree about who may do what.
 */
export { Permission, ROLE_PERMISSIONS, Role, can, canAssign } from '@padim/jobs';
