/**
 * The assistant's conversations when no Dapr state store keeps them: one row each, its user's only. `turns`
 * bounds its size (CHAT_TURNS_MAX), `version` makes two messages sent at once into one conversation take turns
 * rather than lose one. `messages` holds the recent exchange (the model's context), `state` what the
 * deterministic planner remembers (the tasks it listed, the question it asked).
 */
export const sql = /* sql */ `
CREATE TABLE conversations (
  id uuid PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  turns integer NOT NULL,
  version integer NOT NULL,
  messages jsonb NOT NULL,
  state jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_user_idx ON conversations (user_id, updated_at DESC);
`;
