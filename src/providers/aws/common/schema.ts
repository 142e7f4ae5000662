import { Type } from "../../../engine/schema.js";

/**
 * A list of security groups: ones the file manages (`securityGroups.app`) or any by id (`sg-…`).
 * The description names an example, and is what a validation error says the value must be.
 */
export function securityGroupList(description: string) {
  return Type.Array(
    Type.String({ pattern: "^(securityGroups\\.[A-Za-z0-9_-]+|sg-[0-9a-f]+)$", description }),
  );
}
