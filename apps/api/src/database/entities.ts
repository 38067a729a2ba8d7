import { RefreshToken } from '../auth/entities/refresh-token.entity';
import { Session } from '../auth/entities/session.entity';
import { SignInCode } from '../auth/entities/sign-in-code.entity';
import { User } from '../users/entities/user.entity';

/** Every entity of the schema; the app and the migration CLI both register exactly these. */
export const ENTITIES = [User, SignInCode, Session, RefreshToken];
