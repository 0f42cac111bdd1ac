# Shared helper for the reference scripts: read a CSV with numbers parsed exactly as a
# correctly rounded strtod() would (R's own parser misrounds a few 15-digit values by one
# ulp; 3 of the 12,021 numbers in datasets/ are affected).  Every number in the shipped data
# has at most 15 significant digits and no exponent, so value = (digits as an integer, exact
# below 2^53) / 10^k (exact for k <= 22), and one IEEE division rounds correctly.

exact_num <- function(s) {
  s <- trimws(s)
  out <- rep(NA_real_, length(s))
  miss <- is.na(s) | s == "" | s == "NA"
  v <- s[!miss]
  if (!all(grepl("^-?[0-9]+(\\.[0-9]+)?$", v))) stop("unexpected number format")
  neg <- startsWith(v, "-")
  v <- sub("^-", "", v)
  frac <- ifelse(grepl(".", v, fixed = TRUE), sub("^[0-9]*\\.", "", v), "")
  digits <- sub("^0+(?=[0-9])", "", sub(".", "", v, fixed = TRUE), perl = TRUE)
  if (any(nchar(sub("^0+", "", digits)) > 15L)) stop("more than 15 significant digits")
  k <- nchar(frac)
  if (any(k > 22L)) stop("too many decimals")
  x <- as.numeric(digits) / 10^k   # integer < 1e15 and 10^k are exact doubles
  out[!miss] <- ifelse(neg, -x, x)
  out
}

read_csv_exact <- function(file, numeric_cols) {
  d <- read.csv(file, colClasses = "character", na.strings = character())
  for (c in numeric_cols) d[[c]] <- exact_num(d[[c]])
  d
}
