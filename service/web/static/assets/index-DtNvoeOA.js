import{s as t}from"./common-nqFDuHA_.js";t();document.body.dataset.ready="true";
