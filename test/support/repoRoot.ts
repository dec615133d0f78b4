import { fileURLToPath } from 'node:url';

/** The repository's root folder: the content (dialogs/, cards/) and dist/ of the built bot are below it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
