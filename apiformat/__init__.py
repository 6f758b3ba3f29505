"""What every API endpoint shares, whichever app serves it: strict filters (a repeated or unknown
parameter is a 400), page-number pagination, and the documented error responses."""
