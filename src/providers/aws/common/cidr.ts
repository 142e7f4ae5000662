/** An IPv4 CIDR, as security group rules take them (a bare address means /32). */
export const CIDR_SYNTAX = {
  pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?$",
  description: "an IPv4 CIDR like 10.0.0.0/16 or an address like 203.0.113.10",
};

export type CidrProblem = { message: string; hint?: string };

/**
 * What AWS would refuse in a CIDR the schema's pattern let through: octets over 255, a prefix over
 * 32, or host bits set (AWS rejects `10.0.0.1/24` with InvalidParameterValue, half-way through an apply).
 */
export function cidrProblem(cidr: string): CidrProblem | undefined {
  const [address = "", prefixText] = cidr.split("/");
  const octets = address.split(".").map(Number);
  const over = octets.find((o) => o > 255);
  if (over !== undefined) return { message: `"${cidr}" is not an IPv4 address: ${over} is over 255` };
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix > 32) return { message: `"${cidr}" has prefix /${prefix}: an IPv4 prefix is at most /32` };
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = value - (value % size);
  if (network !== value) {
    const suggestion = `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
    return { message: `"${cidr}" has host bits set`, hint: `did you mean ${suggestion}?` };
  }
  return undefined;
}
