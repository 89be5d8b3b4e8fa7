/** Daneel OPENPGPKEY milter. */
module dev.daneel.milter {
    requires dev.daneel.openpgpkey;

    exports dev.daneel.milter;
}
