package io.camber.cli.s3;

import picocli.CommandLine.Command;

/** {@code camber s3 ...}: what the S3 gateway needs from operators; access keys for now. */
@Command(name = "s3", description = "Manage S3 access keys (what S3 clients sign their requests with).",
        subcommands = S3KeyCommand.class)
public final class S3Command {
}
