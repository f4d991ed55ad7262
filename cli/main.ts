// STUB entry of the `flux-oci` command line (replaced by the CLI implementation).
process.stdout.write('flux-oci: not implemented yet\n');
