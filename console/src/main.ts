/** Console entry: registers the root element. */
document.body.dataset.ready = 'true';
