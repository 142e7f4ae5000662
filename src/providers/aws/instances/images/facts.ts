/** Facts key: the source instances of `fromInstance` that exist (pending, running or stopped). */
export const SOURCE_FACTS = "instances.imageSources";
