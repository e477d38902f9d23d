# Listings an agency's server sends: the HTTPS JSON and WebDAV listings (listing) and the
# SFTP long listing (transport).
dcagw_fuzz_target(remote_listing dcagw_listing)
dcagw_fuzz_target(webdav_listing dcagw_listing)
dcagw_fuzz_target(sftp_listing dcagw_transport)
# Remote file names from a listing, before anything is written locally.
dcagw_fuzz_target(remote_name dcagw_transport)
