/** Where the dashboard's server reaches the GraphQL API (server side only; browsers never call it). */
export const API_URL = (process.env.PADIM_API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

/** The session token lives in this httpOnly cookie; browser code never sees it. */
export const TOKEN_COOKIE = 'padim_token';
