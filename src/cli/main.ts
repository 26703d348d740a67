export async function main(command: string, argv: string[]): Promise<void> {
  process.stderr.write(`${command}: not implemented yet (${argv.length} arguments)\n`);
  process.exitCode = 2;
}
