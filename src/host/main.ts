process.stderr.write('host: not implemented yet\n');
