export { accessControl, warnIfOpen, KEY_COOKIE, type AccessOptions } from './access-plugin';
export { KeyRing, ApiKeysError, openAccessWarning, OPEN_ACCESS_WARNING, ROLES, type Role } from './api-keys';
