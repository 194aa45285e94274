/** Users and sign-in: request and response shapes. */
import Type, { type Static } from 'typebox';
import type { UserRow } from '../../../store/db/schema.js';
import { iso, Nullable, PageQuery, Timestamp } from './common.js';

export const Role = Type.Enum(['admin', 'user'], { description: 'admin: manages everything; user: manages their own API keys' });

export const User = Type.Object({
  id: Type.String(),
  username: Type.String({ description: 'lower-case; sign in with it or with the e-mail address' }),
  email: Nullable(Type.String()),
  display_name: Nullable(Type.String()),
  role: Role,
  enabled: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type UserJson = Static<typeof User>;

export function presentUser(row: UserRow): UserJson {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    display_name: row.display_name,
    role: row.role === 'admin' ? 'admin' : 'user',
    enabled: row.enabled === 1,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

const USERNAME_TEXT = "3-64 characters: letters, digits, '.', '_' or '-' (stored lower-case)";
const Username = Type.String({ minLength: 3, maxLength: 64, description: USERNAME_TEXT });
const password = (description: string) => Type.String({ minLength: 8, maxLength: 256, description });
const Password = password('at least 8 characters');
const GENERATED = 'at least 8 characters; omitted: a random password is generated and returned once';
const Email = Nullable(Type.String({ maxLength: 254, description: 'unique; may be used to sign in' }));
const DisplayName = Nullable(Type.String({ maxLength: 128 }));

export const CreateUserBody = Type.Object(
  {
    username: Username,
    email: Type.Optional(Email),
    display_name: Type.Optional(DisplayName),
    password: Type.Optional(password(GENERATED)),
    role: Type.Optional(Role),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const CreatedUser = Type.Object({
  ...User.properties,
  password: Type.Optional(Type.String({ description: 'only when the server generated it; shown this once' })),
});

export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(Username),
    email: Type.Optional(Email),
    display_name: Type.Optional(DisplayName),
    role: Type.Optional(Role),
    enabled: Type.Optional(Type.Boolean({ description: 'false signs the user out and stops their API keys' })),
    password: Type.Optional(password('a password reset: signs the user out everywhere')),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserListQuery = Type.Object({
  ...PageQuery.properties,
  q: Type.Optional(Type.String({ description: 'substring of user name, e-mail or display name' })),
  role: Type.Optional(Role),
});

export const LoginBody = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'user name or e-mail address' })),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'alternative to username' })),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const Tokens = Type.Object({
  access_token: Type.String({ description: 'JWT; send as "Authorization: Bearer <access_token>"' }),
  refresh_token: Type.String({ description: 'exchange at POST /auth/refresh; each one works once' }),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'seconds until the access token expires' }),
  refresh_expires_in: Type.Integer({ description: 'seconds until the refresh token expires' }),
  user: User,
});

export const RefreshBody = Type.Object({ refresh_token: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const LogoutBody = Nullable(
  Type.Object(
    { all: Type.Optional(Type.Boolean({ description: 'sign out every session of this user, not only this one' })) },
    { additionalProperties: false },
  ),
);

export const LogoutResult = Type.Object({ revoked_sessions: Type.Integer() });

export const Me = Type.Object({
  user: Nullable(User),
  role: Role,
  via: Type.Enum(['session', 'admin-token'], { description: 'session: a signed-in user; admin-token: the ADMIN_API_KEY (user is null)' }),
});

export const ProfileBody = Type.Object(
  { email: Type.Optional(Email), display_name: Type.Optional(DisplayName) },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBody = Type.Object(
  { current_password: Type.String({ minLength: 1, maxLength: 256 }), new_password: Password },
  { additionalProperties: false },
);

export const InitBody = Nullable(
  Type.Object(
    {
      username: Type.Optional(Type.String({ minLength: 3, maxLength: 64, default: 'admin', description: USERNAME_TEXT })),
      email: Type.Optional(Email),
      display_name: Type.Optional(DisplayName),
      password: Type.Optional(password(GENERATED)),
    },
    { additionalProperties: false },
  ),
);
