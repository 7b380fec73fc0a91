/** The package version, stamped into every trace (a test keeps it equal to package.json's). */
export const opsimVersion = '0.1.0';
