import { Inject } from '@nestjs/common';
import { ROLE_CATALOGUE } from '@parley/contracts';

/**
 * The role catalogue the api resolves built-in roles with: always the contracts' ROLE_CATALOGUE
 * in the app. It is a provider rather than an import only so that a test can build the
 * services on a later version's catalogue (one more permission) and show that existing rows
 * follow it without being touched (test/medium/built-in-roles.e2e-spec.ts).
 */
export const ROLE_CATALOGUE_TOKEN = Symbol('RoleCatalogue');

export const roleCatalogueProvider = { provide: ROLE_CATALOGUE_TOKEN, useValue: ROLE_CATALOGUE };

/** Injects the role catalogue (see ROLE_CATALOGUE_TOKEN). */
export const InjectRoleCatalogue = (): ParameterDecorator => Inject(ROLE_CATALOGUE_TOKEN);
