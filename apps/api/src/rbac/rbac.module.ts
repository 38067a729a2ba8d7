import { Global, Module } from '@nestjs/common';
import { roleCatalogueProvider, ROLE_CATALOGUE_TOKEN } from './role-catalogue';
import { RolesController } from './roles.controller';
import { RoleRepository } from './role.repository';
import { RolesService } from './roles.service';

@Global()
@Module({
  controllers: [RolesController],
  providers: [roleCatalogueProvider, RoleRepository, RolesService],
  // Workspaces make, find and give roles inside their own transactions.
  exports: [ROLE_CATALOGUE_TOKEN, RoleRepository],
})
export class RbacModule {}
