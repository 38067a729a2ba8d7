import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'parley:public';

/** Marks a route as open without sign-in. Every other route needs a valid access token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
