export declare const SERIAL_SUITES: readonly string[];
export declare function isSerialSuite(pathInProject: string): boolean;
