// The editor starts in portal-cms.js, once our file format is registered.
window.CMS_MANUAL_INIT = true;
