import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { roleCatalogueProvider, ROLE_CATALOGUE_TOKEN } from './role-catalogue';
import { RolesController } from './roles.controller';
import { RolesService } from './roles.service';

@Global()
@Module({
  controllers: [RolesController],
  providers: [roleCatalogueProvider, AccessService, RolesService],
  exports: [ROLE_CATALOGUE_TOKEN, AccessService],
})
export class RbacModule {}
