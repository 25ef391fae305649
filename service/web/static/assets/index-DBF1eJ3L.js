import{s as t}from"./common-Bsh-0BYV.js";t();document.body.dataset.ready="true";
