import { Global, Module } from '@nestjs/common';
import { roleCatalogueProvider, ROLE_CATALOGUE_TOKEN } from './role-catalogue';
import { RolesController } from './roles.controller';
import { RolesService } from './roles.service';

@Global()
@Module({
  controllers: [RolesController],
  providers: [roleCatalogueProvider, RolesService],
  exports: [ROLE_CATALOGUE_TOKEN],
})
export class RbacModule {}
