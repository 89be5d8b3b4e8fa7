/** Daneel command line. */
module dev.daneel.cli {
    requires dev.daneel.dane;
    requires dev.daneel.openpgpkey;
    requires dev.daneel.sshfp;
    requires dev.daneel.ipseckey;

    exports dev.daneel.cli;
}
