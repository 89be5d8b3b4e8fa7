/** Daneel OPENPGPKEY. */
module dev.daneel.openpgpkey {
    requires transitive dev.daneel.validator;

    exports dev.daneel.openpgpkey;
}
