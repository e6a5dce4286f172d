import { randomUUID } from 'node:crypto';
import type { Session } from '@todo/contract';
import type { Database } from '../db/database.js';
import { ConflictError, TooManyRequestsError, UnauthorizedError } from '../http/errors.js';
import { projectRepository } from '../projects/project.repository.js';
import { loginThrottle } from './login-throttle.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';
import type { TokenService } from './tokens.js';
import { userRepository } from './user.repository.js';

/** Sign-up and log-in: passwords hashed with scrypt, sessions as signed JWTs. */
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
  ) {}

  async signup(input: { email: string; password: string; name?: string | undefined }): Promise<Session> {
    const passwordHash = await hashPassword(input.password);
    // The account and its Inbox exist together.
    const user = await this.db.transaction(async (tx) => {
      const user = await userRepository.insert(tx, {
        id: randomUUID(),
        email: input.email,
        name: input.name ?? null,
        password_hash: passwordHash,
      });
      if (user) await projectRepository.ensureInbox(tx, user.id);
      return user;
    });
    if (!user)
      throw new ConflictError('An account with this email already exists.', [
        { path: 'email', message: 'is already registered' },
      ]);
    return this.session(user);
  }

  async login(input: { email: string; password: string }): Promise<Session> {
    const wait = await loginThrottle.claimAttempt(this.db, input.email);
    if (wait > 0)
      throw new TooManyRequestsError(
        `Too many failed log-ins for this email; try again in ${
          wait < 60 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`
        }.`,
        wait,
      );
    const user = await userRepository.findByEmail(this.db, input.email);
    const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash()));
    // The attempt claimed above stays counted.
    if (!user || !ok) throw new UnauthorizedError('The email or password is wrong.');
    await loginThrottle.clear(this.db, input.email);
    return this.session(user);
  }

  private async session(user: { id: string; email: string; name: string | null }): Promise<Session> {
    return {
      token: await this.tokens.issue(user.id, user.email),
      user: { id: user.id, email: user.email, name: user.name },
    };
  }
}
