/** The roles an API key may hold (contract, access): shared by the API's access control and the dashboards. */
export const ROLES = ['operator', 'dialer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
