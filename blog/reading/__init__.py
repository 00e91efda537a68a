"""The reader's side: pages, lists, the sidebar, search, feeds, old-URL redirects and uploaded media."""
