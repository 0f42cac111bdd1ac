# Capital elasticities behind `tfp estimate --capital-share fit[:MODEL]`, on the
# bundled PWT 9.1 extract (datasets/pwt/pwt91_asia5_tfp.csv): rows with positive
# output, labour (persons) and capital (stock), region = country code.
#   crs:     lm(log(output/labour) ~ log(capital/labour) + I(year - mean(year)))
#   within:  plm(log(output) ~ log(capital) + log(labour) + I(year - mean(year)),
#                model = "within")
#   twoways: plm(log(output) ~ log(capital) + log(labour), model = "within",
#                effect = "twoways")
# Writes tests/fixtures/reference/elasticity_pwt.csv (model,estimate,std_error,n).
# Run from the repository root: Rscript scripts/reference/elasticity_pwt.R
suppressMessages(library(plm))
source("scripts/reference/read_exact.R")
d <- read_csv_exact("datasets/pwt/pwt91_asia5_tfp.csv", c("year", "output", "labour", "capital"))
d <- d[is.finite(d$output) & is.finite(d$labour) & is.finite(d$capital) &
       d$output > 0 & d$labour > 0 & d$capital > 0, ]
d$t <- d$year - mean(d$year)
crs <- lm(log(output / labour) ~ log(capital / labour) + t, data = d)
pd <- pdata.frame(d, index = c("region", "year"))
wi <- plm(log(output) ~ log(capital) + log(labour) + t, data = pd, model = "within")
tw <- plm(log(output) ~ log(capital) + log(labour), data = pd, model = "within",
          effect = "twoways")
row <- function(name, m, term) {
  s <- summary(m)$coefficients
  data.frame(model = name, estimate = sprintf("%.17g", s[term, 1]),
             std_error = sprintf("%.17g", s[term, 2]), n = nrow(d))
}
out <- rbind(row("crs", crs, "log(capital/labour)"),
             row("within", wi, "log(capital)"),
             row("twoways", tw, "log(capital)"))
write.csv(out, "tests/fixtures/reference/elasticity_pwt.csv", row.names = FALSE, quote = FALSE)
