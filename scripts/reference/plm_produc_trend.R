# Reference values for `tfp fit --model random` with a time trend, from R's plm, on the
# balanced Produc panel (Munnell 1990): a regressor whose unit means are the same for every
# unit, so that it is aliased with the intercept in the Swamy-Arora between regression while
# it varies in the model (plm drops it there and counts the other coefficients).
#
# Run from the repository root:   Rscript scripts/reference/plm_produc_trend.R
#
# Reads   datasets/plm/Produc.csv
# Writes  tests/fixtures/reference/plm_produc_trend.csv
#
# Model: log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + year (year as a number: a copy
# of the index column, named year in the output), index c("state", "year"), plm "random"
# (random.method = "swar"). Output as plm_produc.R's: model,term,statistic,value with
# estimate and std_error per term, and theta, sigma2_idios, sigma2_indiv.

suppressPackageStartupMessages(library(plm))

d <- read.csv("datasets/plm/Produc.csv")
d$trend <- d$year
m <- plm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + trend, data = d,
         index = c("state", "year"), model = "random", random.method = "swar")
cf <- coef(summary(m))
terms <- sub("^trend$", "year", rownames(cf))
out <- data.frame(model = "random", term = rep(terms, each = 2),
                  statistic = rep(c("estimate", "std_error"), length(terms)),
                  value = as.vector(t(cf[, 1:2])))
ec <- ercomp(m)
out <- rbind(out, data.frame(model = "random", term = ".",
                             statistic = c("theta", "sigma2_idios", "sigma2_indiv"),
                             value = c(ec$theta[[1]], ec$sigma2[["idios"]], ec$sigma2[["id"]])))
out$value <- sprintf("%.17g", out$value)
write.csv(out, "tests/fixtures/reference/plm_produc_trend.csv", row.names = FALSE, quote = FALSE)
