/** ELBv2's naming rule for load balancers and target groups, as schema keywords. */
export const ELBV2_NAME = {
  // AWS: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen.
  pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$",
  description: "1-32 letters, digits and hyphens, not starting or ending with a hyphen",
};
